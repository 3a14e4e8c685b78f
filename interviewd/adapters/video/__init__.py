"""The video port. Each backend is picked by name (INTERVIEWD_VIDEO_BACKEND);
webhooks name theirs in the URL, so a room keeps working with the provider
that made it."""

from __future__ import annotations

from interviewd.adapters.video.base import (
    CreatedRoom,
    EventKind,
    InvalidWebhook,
    RoomEvent,
    RoomPeer,
    VideoBackend,
    VideoProviderError,
    WebhookSignatureError,
    WebhooksNotSupported,
)
from interviewd.adapters.video.jitsi import JitsiVideo
from interviewd.config import Settings

PROVIDERS = ("jitsi", "hms", "livekit")


class ProviderNotConfigured(LookupError):
    """The named provider is unknown, or its credentials are not set."""


def create_video_backend(settings: Settings, name: str | None = None) -> VideoBackend:
    """The backend `name` (default: VIDEO_BACKEND) built from the settings."""
    name = name or settings.video_backend
    if name == "hms":
        if not (settings.hms_access_key and settings.hms_app_secret):
            raise ProviderNotConfigured("100ms needs INTERVIEWD_HMS_ACCESS_KEY and INTERVIEWD_HMS_APP_SECRET")
        from interviewd.adapters.video.hms import HmsVideo

        return HmsVideo(
            access_key=settings.hms_access_key, app_secret=settings.hms_app_secret,
            api_base=settings.hms_api_base, template_id=settings.hms_template_id, region=settings.hms_region,
            participant_role=settings.hms_participant_role, mentor_role=settings.hms_mentor_role,
            webhook_header=settings.hms_webhook_header, webhook_secret=settings.hms_webhook_secret,
            join_url=settings.video_join_url, public_base_url=settings.public_base_url,
            timeout=settings.video_timeout,
        )
    if name == "livekit":
        if not (settings.livekit_url and settings.livekit_api_key and settings.livekit_api_secret):
            raise ProviderNotConfigured("LiveKit needs INTERVIEWD_LIVEKIT_URL, _API_KEY and _API_SECRET")
        from interviewd.adapters.video.livekit import LiveKitVideo

        return LiveKitVideo(url=settings.livekit_url, api_key=settings.livekit_api_key,
                            api_secret=settings.livekit_api_secret, join_url=settings.video_join_url)
    if name == "jitsi":
        return JitsiVideo(base_url=settings.jitsi_base_url, app_id=settings.jitsi_app_id,
                          app_secret=settings.jitsi_app_secret, audience=settings.jitsi_jwt_audience,
                          join_url=settings.video_join_url)
    raise ProviderNotConfigured(f"unknown video provider {name!r}")


__all__ = [
    "PROVIDERS", "CreatedRoom", "EventKind", "InvalidWebhook", "JitsiVideo", "ProviderNotConfigured",
    "RoomEvent", "RoomPeer", "VideoBackend", "VideoProviderError", "WebhookSignatureError",
    "WebhooksNotSupported", "create_video_backend",
]
