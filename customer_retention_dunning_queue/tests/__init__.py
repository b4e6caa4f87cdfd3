from . import test_night_jobs
from . import test_translations
