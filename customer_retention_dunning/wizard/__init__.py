from . import dunning_preview_wizard
from . import dunning_preview_line
from . import dunning_pause_wizard
from . import payment_plan_wizard
from . import dunning_preview_go_live
