"""Contract drafting: templates as data, validated input, DOCX and PDF output."""
