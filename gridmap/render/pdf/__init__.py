"""(facade written below)"""
