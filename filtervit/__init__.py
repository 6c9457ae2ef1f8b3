__version__ = "0.1.0"
# Written by hand (nbdev only keeps the version line up to date): importing the package registers
# `filtervit_xs` and `dropoutvit_xs` with timm. Everything else is exported from the notebooks in nbs/.
from .models import FilterViT, filtervit_xs, dropoutvit_xs, literal_forward, literal_features, param_table
