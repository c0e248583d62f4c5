"""khabar.search"""
