"""The chain's links as modules, in the order of one day (the plan).

Each file holds one link: its parameters, results and states, and its step. Add a mechanism by
adding a module here and naming it in `PLAN`; `LoyaltyModel` runs them in this order.
"""

from .channels import Channels
from .demand import Demand
from .economics import Economics
from .employees import Employees
from .encounter import Encounter
from .events import Events
from .image import Image
from .lifetime_value import LifetimeValue
from .local import Local
from .loyalty import Loyalty
from .management import Management
from .market import Market
from .purchase import Purchase
from .segments import Segments
from .service import Service
from .satisfaction import Satisfaction
from .staffing import Staffing
from .word_of_mouth import WordOfMouth

# One day, in the order of the chain (section 3 of docs/odd.md). Market only sets up day 0.
PLAN = (Market, Segments, Channels, Local, Events, Management, Staffing, Employees, Demand, Service, Encounter,
        Purchase, Satisfaction, Loyalty, WordOfMouth, Image, Economics, LifetimeValue)
