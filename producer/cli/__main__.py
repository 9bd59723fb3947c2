"""`python -m producer.cli`: the `turnout` command without the console script (the tests and
`turnout run`'s worker processes start it this way)."""

from producer.cli import main

main()
