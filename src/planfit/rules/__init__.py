"""The rules, one module per clause family, each rule a small function registered under its code.

Adding a rule: a function in the family's module decorated with @rule("CODE"), the code in the profile's
[rules] table, and its messages (rule.CODE.message, .remedy, .requires, .measures) in
data/messages/rules.toml.
"""

from . import access, area, drawing, drawing_file, equipment, signage, windows, zones  # noqa: F401  (registers)
from .registry import RULES, rule
from .runner import CLAUSE_ORDER, CheckResult, Margin, check, run_rules, summary_counts

__all__ = ["RULES", "rule", "CLAUSE_ORDER", "CheckResult", "Margin", "check", "run_rules", "summary_counts"]
