"""How a document writes its values: numbers and labels, an assessment's numbers in words,
dates, the blanks a draft leaves. Pure functions over the model; every stage may use them."""
