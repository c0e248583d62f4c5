"""khabar.dedup"""
