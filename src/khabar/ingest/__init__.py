"""khabar.ingest"""
