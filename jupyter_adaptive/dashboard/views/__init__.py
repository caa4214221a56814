"""One module per tab of the teacher's dashboard, each over its view-model; no SQL here."""
