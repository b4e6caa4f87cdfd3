from . import dunning_preview_wizard
from . import dunning_preview_line
