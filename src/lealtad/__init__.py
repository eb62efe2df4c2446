"""lealtad: an agent-based simulation of customer loyalty on the service-profit chain."""

from .agents import Customer, Employee
from .model import LoyaltyModel
from .outputs import OUTPUTS
from .params import DEFAULT_FIRMS, PARAMETERS, ParameterError

__all__ = ["LoyaltyModel", "Employee", "Customer", "PARAMETERS", "OUTPUTS", "DEFAULT_FIRMS", "ParameterError"]
__version__ = "0.1.0"
