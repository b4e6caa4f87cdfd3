from . import test_payment_score_rules
from . import test_value_at_risk_rules
from . import test_payment_score
from . import test_invoice_risk
from . import test_payment_behaviour_tour
from . import test_translations
from . import test_dunning_schedule_rules
