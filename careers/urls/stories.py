"""Stories from care: public pages, nomination, consent and approval."""

urlpatterns: list = []
