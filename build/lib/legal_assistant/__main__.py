from legal_assistant.cli import app

app(prog_name="legal-assistant")
