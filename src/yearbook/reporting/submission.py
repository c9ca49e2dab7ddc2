"""The states of a return on the submission board (报送情况), worst first: what `collect.status` writes into
status.csv and what the yearbook's 报送情况 page shows."""

MISSING = "未报"  # expected, not received
FAILED = "审核未通过"  # received, with a hard (E) finding: to be sent back
TO_CHECK = "待核实"  # received, with a warning (W) not yet explained in 核实说明.csv
PASSED = "已通过"  # received, no open finding
STATES = (MISSING, FAILED, TO_CHECK, PASSED)
