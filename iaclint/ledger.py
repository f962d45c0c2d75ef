"""Rule codes that were issued and then retired, with the slug each had.

A live rule's code and slug come from its module.  A code or slug in this table is never given to another
rule, so suppressions and baselines written against it keep meaning what they meant.  Retire a rule by
deleting its module and adding its code here."""

RETIRED: dict[str, str] = {}
