"""Document kinds: build template contexts from models (no docx code here)."""
