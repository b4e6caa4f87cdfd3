from . import payment_score
from . import value_at_risk
