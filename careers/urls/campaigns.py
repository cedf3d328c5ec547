"""Campaigns: their public pages and tracked links, open days, the association's campaigns and
funnel, and each employer's part, open days and toolkit."""

from django.urls import path

from careers.views import campaigns as views

urlpatterns = [
    # The tracked links a poster's QR code and a share image carry: short, to type from a wall.
    path("c/<str:code>/", views.campaign_link, name="campaign-link"),
    path(
        "c/<str:code>/<str:vacancy_reference>/",
        views.campaign_link,
        name="campaign-vacancy-link",
    ),
    path("careers/campaigns/<str:code>/", views.campaign_page, name="campaign"),
    path("careers/events/<str:reference>/", views.event_page, name="event"),
    path("careers/events/<str:reference>/book/", views.event_book, name="event-book"),
    path(
        "careers/events/<str:reference>/cancel-booking/",
        views.event_booking_cancel,
        name="event-booking-cancel",
    ),
    path("careers/events/<str:reference>/cancel/", views.event_cancel, name="event-cancel"),
    # The running association.
    path(
        "careers/association/<int:org_id>/campaigns/",
        views.association_campaigns,
        name="association-campaigns",
    ),
    path(
        "careers/association/<int:org_id>/campaigns/new/",
        views.campaign_new,
        name="campaign-new",
    ),
    path(
        "careers/manage/campaigns/<str:reference>/", views.campaign_manage, name="campaign-manage"
    ),
    path(
        "careers/manage/campaigns/<str:reference>/publish/",
        views.campaign_publish,
        name="campaign-publish",
    ),
    path("careers/manage/campaigns/<str:reference>/end/", views.campaign_end, name="campaign-end"),
    path(
        "careers/manage/campaigns/<str:reference>/funnel/",
        views.campaign_funnel,
        name="campaign-funnel",
    ),
    path(
        "careers/manage/campaigns/<str:reference>/funnel.csv",
        views.campaign_funnel_csv,
        name="campaign-funnel-csv",
    ),
    # Employers.
    path(
        "careers/employer/<int:org_id>/campaigns/",
        views.employer_campaigns,
        name="employer-campaigns",
    ),
    path(
        "careers/employer/<int:org_id>/campaigns/<str:code>/",
        views.employer_campaign,
        name="employer-campaign",
    ),
    path(
        "careers/employer/<int:org_id>/campaigns/<str:code>/join/",
        views.employer_campaign_join,
        name="employer-campaign-join",
    ),
    path(
        "careers/employer/<int:org_id>/campaigns/<str:code>/events/new/",
        views.event_new,
        name="event-new",
    ),
    path(
        "careers/employer/<int:org_id>/campaigns/<str:code>/poster.pdf",
        views.employer_poster,
        name="campaign-poster",
    ),
    path(
        "careers/employer/<int:org_id>/campaigns/<str:code>/share.png",
        views.employer_share_image,
        name="campaign-share-image",
    ),
]
