"""Modal screens: questions, prompts, editors and help (each returns its answer with dismiss)."""
