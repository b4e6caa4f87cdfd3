from . import test_night_jobs
from . import test_translations
from . import test_spread_rules
