"""执行和解: settlement drafts with capacity-based installment plans, and their supervision."""
