"""The domain of teacher rotation under 县管校聘: roster, policy, rules, plan and its checker.

This package imports neither the solver nor the database.
"""

__version__ = "0.1.0"
