"""Getting figures in: an uploaded CSV or workbook read (read, guard, xlsx_read), its header and
columns mapped (layout, columns), its cells read (cells, rows) and checked row by row or column
by column (validate, fast) against the store's names (catalog), per kind (kinds: one KindSpec
each), compared with the store (diff), written as one batch (write) and undone (undo), shown
before and after (preview); problems are codes with parameters (problems) rendered only when
shown. importer.prepare / importer.commit are the entry points; seed loads the shipped data set
through the same pipeline; templates makes the upload templates. Imports lib.core and lib.store
only."""
