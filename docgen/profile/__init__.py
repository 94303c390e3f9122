"""Stage 1, profile: a case's YAML file in, a validated `Profile` out.

In: the profile file staff write (one case: the applicant, family members filing together, supporter,
guarantor, filing agent). Out: a typed `Profile`; every problem names the file, the line and the field
without echoing the value. `model.py` is the shape, `hsp.py` the points facts, `load.py` reads with line
numbers, `checks.py` finds facts that contradict each other, `family.py` sees 続柄 from any member,
`skeleton.py` writes a commented starting file.
"""

from docgen.profile.load import load_profile
from docgen.profile.model import Profile

__all__ = ["Profile", "load_profile"]
