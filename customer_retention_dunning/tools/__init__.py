from . import payment_score
from . import value_at_risk
from . import dunning_schedule
from . import phone_numbers
from . import payment_plan
from . import statutory
