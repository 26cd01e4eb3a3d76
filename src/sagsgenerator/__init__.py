"""sagsgenerator: indsatsforslag from Excel to committee case papers, catalogue and action plan."""

from .intake.reader import read_intake
from .validation.validate import validate_file, validate_paths

__version__ = "0.1.0"
__all__ = ["read_intake", "validate_file", "validate_paths", "__version__"]
