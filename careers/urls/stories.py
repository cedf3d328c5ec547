"""Stories from care: public pages, nomination, consent and approval."""

from django.urls import path

from careers.views import stories

urlpatterns = [
    path("careers/stories/", stories.stories, name="stories"),
    path("careers/stories/review/", stories.story_reviews, name="story-reviews"),
    path("careers/stories/review/<str:reference>/", stories.story_review, name="story-review"),
    path(
        "careers/stories/review/<str:reference>/approve/",
        stories.story_approve,
        name="story-approve",
    ),
    path(
        "careers/stories/review/<str:reference>/decline/",
        stories.story_decline,
        name="story-decline",
    ),
    path("careers/stories/<str:reference>/", stories.story, name="story"),
    path("careers/stories/<str:reference>/photo/", stories.story_photo, name="story-photo"),
    path("careers/my-stories/", stories.my_stories, name="my-stories"),
    path("careers/my-stories/<str:reference>/", stories.my_story, name="my-story"),
    path(
        "careers/my-stories/<str:reference>/consent/",
        stories.my_story_consent,
        name="my-story-consent",
    ),
    path(
        "careers/my-stories/<str:reference>/refuse/",
        stories.my_story_refuse,
        name="my-story-refuse",
    ),
    path(
        "careers/my-stories/<str:reference>/withdraw/",
        stories.my_story_withdraw,
        name="my-story-withdraw",
    ),
    path(
        "careers/employer/<int:org_id>/stories/", stories.employer_stories, name="employer-stories"
    ),
    path(
        "careers/employer/<int:org_id>/stories/new/",
        stories.story_nominate,
        name="story-nominate",
    ),
]
