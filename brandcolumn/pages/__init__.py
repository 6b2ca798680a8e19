"""The pages of the column: which kinds there are (kinds), their addresses (routes), rendering them
(render), and what each read of the site while rendering (reads, trace)."""
