"""A flood of refused requests cannot fill the audit table: a bounded number per address and minute."""

from sitmon.security.access_audit import RefusalBudget


def test_refusals_are_recorded_within_a_budget_per_address():
    budget = RefusalBudget(per_minute=3, addresses=2)
    assert [budget.take("1.1.1.1")[0] for _ in range(5)] == [True, True, True, False, False]
    assert budget.take("2.2.2.2") == (True, 0)  # another address has its own budget
    budget.take("3.3.3.3")  # more addresses than kept: the oldest is forgotten, memory stays bounded
    assert len(budget._seen) == 2
