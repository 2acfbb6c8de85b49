"""Stage 5, render: a composed document to bytes. `layout` lays the plan out as Nghị định 30 asks
on the .docx `skeleton`, written as WordprocessingML text by `wordml`; `xlsx` writes the review
list and the blank workbook."""
