"""khabar.pipeline"""
