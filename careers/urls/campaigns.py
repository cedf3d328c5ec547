"""Campaigns: their public pages, events, toolkits and funnels."""

urlpatterns: list = []
