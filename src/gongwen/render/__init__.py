"""docxtpl glue: load templates once, render contexts, save atomically. Knows nothing of cases."""
