from . import portal
from . import customer_answer
from . import statement
