"""Score one WHO-5 respondent and print the result (the README's first command)."""

from trivselscore import Respondent, score

# Answers to items 1-5, each coded 0 (never) to 5 (always); None = unanswered.
answers = {"1": 3, "2": 2, "3": 2, "4": 1, "5": 3}
result = score("who5", answers, respondent=Respondent(age=16, sex="female"))

print(f"WHO-5 raw score:        {result['raw'].value} / 25")
print(f"WHO-5 percentage score: {result['percentage'].value} / 100")
for band in result["percentage"].bands:
    print(f"  {band.scheme:<9} -> {band.band} ({band.label_en} / {band.label_da})")
for flag in result.flags:
    print(f"flag {flag.id}: {flag.message}")
print(f"rule: missing={result.policy}, scheme={result.scheme}, definition v{result.instrument_version}")
