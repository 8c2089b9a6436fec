#!/usr/bin/env python3
"""Drives matrix-nio's AsyncClient through a two-user flow against a (mock) homeserver.

Usage: nio_flow.py BASE_URL USER_PREFIX PASSWORD

Registers <prefix>a and <prefix>b, logs the first in again on a named device, and goes
through sync (first and long-poll), rooms, messages and their paging, members, profile,
media, invites, /context, devices and logout. Each step is labelled and bounded; the whole
flow is bounded at 120 s. On failure it prints `nio flow failed at step "<name>": <reason>`
and exits 1; on success one line per step, then `nio flow passed`, and exits 0.

Every answer that is an nio ErrorResponse or has an HTTP status of 400 or more fails the
step, unless the step expects exactly that error (the request after logout).
"""

import asyncio
import io
import sys
import time

from nio import (
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    JoinedMembersResponse,
    MessageDirection,
    RoomMessageText,
)

OVERALL_TIMEOUT_S = 120
STEP_TIMEOUT_S = 20
LONG_POLL_MS = 30_000
DEVICE_NAME = "nio flow laptop"
REGISTER_DEVICE_NAME = "nio flow registration"
RENAMED_DEVICE = "nio flow renamed"
FIRST_MESSAGE = "hello from matrix-nio"
PAGED_MESSAGES = ["page one", "page two", "page three", "page four"]
WAKE_MESSAGE = "wake up, long poll"
UPLOAD_BYTES = bytes(range(256)) * 4 + b"matrix-nio upload"


class FlowFailure(Exception):
    pass


current_step = "start"


def status_of(response):
    transport = getattr(response, "transport_response", None)
    return getattr(transport, "status", None)


def describe(response):
    status = status_of(response)
    prefix = f"HTTP {status} " if status is not None else ""
    return f"{prefix}{type(response).__name__}: {response}"


def check(response, what):
    """Fails the step on an nio error response or an HTTP error status; returns the response."""
    # upload() answers a (response, decryption keys) pair.
    if isinstance(response, tuple):
        response = response[0]
    status = status_of(response)
    if isinstance(response, ErrorResponse) or (status is not None and status >= 400):
        raise FlowFailure(f"{what} answered {describe(response)}")
    return response


def expect(condition, message):
    if not condition:
        raise FlowFailure(message)


async def step(name, body, timeout=STEP_TIMEOUT_S):
    global current_step
    current_step = name
    started = time.monotonic()
    try:
        result = await asyncio.wait_for(body(), timeout)
    except asyncio.TimeoutError as error:
        raise FlowFailure(f"timed out after {timeout} s") from error
    print(f"ok   {name} ({int((time.monotonic() - started) * 1000)} ms)", flush=True)
    return result


def timeline_bodies(sync_response, room_id):
    room = sync_response.rooms.join.get(room_id)
    if room is None:
        return []
    return [event.body for event in room.timeline.events if isinstance(event, RoomMessageText)]


async def flow(base_url, prefix, password):
    config = AsyncClientConfig(max_timeouts=1, max_limit_exceeded=0, request_timeout=60)
    alice_name, bob_name = f"{prefix}a", f"{prefix}b"
    registrar = AsyncClient(base_url, alice_name, config=config)
    bob = AsyncClient(base_url, bob_name, config=config)
    alice = None
    try:
        async def register():
            first = check(await registrar.register(alice_name, password, REGISTER_DEVICE_NAME),
                          "register (first user)")
            second = check(await bob.register(bob_name, password, "nio flow phone"),
                           "register (second user)")
            expect(first.user_id.startswith(f"@{alice_name}:"), f"user id {first.user_id}")
            expect(bool(second.access_token), "the second registration has no access token")
            return first.user_id, first.device_id

        alice_id, registered_device = await step("register two users", register)
        alice = AsyncClient(base_url, alice_id, config=config)

        async def login():
            response = check(await alice.login(password, device_name=DEVICE_NAME), "login")
            expect(response.device_id != registered_device,
                   "login without a device id reused the registration's device")
            return response.device_id

        device_id = await step("login with a device name", login)

        async def first_sync():
            response = check(await alice.sync(timeout=0, full_state=True), "first sync")
            expect(bool(response.next_batch), "no next_batch")
            return response.next_batch

        await step("first sync", first_sync)

        async def create_room():
            response = check(await alice.room_create(name="nio flow room", topic="matrix-nio"),
                             "createRoom")
            return response.room_id

        room_id = await step("create a room", create_room)

        async def send_first():
            response = check(await alice.room_send(room_id, "m.room.message",
                                                   {"msgtype": "m.text", "body": FIRST_MESSAGE}),
                             "send")
            return response.event_id

        first_event = await step("send a message", send_first)

        async def see_it_back():
            response = check(await alice.sync(timeout=10_000), "sync after send")
            bodies = timeline_bodies(response, room_id)
            expect(FIRST_MESSAGE in bodies, f"the sync's timeline has {bodies}")

        await step("see the message in sync", see_it_back)

        async def page():
            for body in PAGED_MESSAGES:
                check(await alice.room_send(room_id, "m.room.message",
                                            {"msgtype": "m.text", "body": body}), "send")
            check(await alice.sync(timeout=10_000), "sync after the paged messages")
            # Backwards from the newest: the last two messages, newest first, then the two before.
            token = alice.next_batch
            pages = []
            for number in (1, 2):
                response = check(await alice.room_messages(room_id, token, limit=2,
                                                           direction=MessageDirection.back),
                                 f"messages page {number}")
                expect(len(response.chunk) == 2, f"page {number} has {len(response.chunk)} events")
                expect(bool(response.end) and response.end != token,
                       f"page {number}'s end token is {response.end!r} (start {token!r})")
                pages.append([getattr(event, "body", None) for event in response.chunk])
                token = response.end
            expect(pages == [PAGED_MESSAGES[:1:-1], PAGED_MESSAGES[1::-1]],
                   f"pages {pages}, expected {[PAGED_MESSAGES[:1:-1], PAGED_MESSAGES[1::-1]]}")

        await step("page /messages back twice", page)

        async def members():
            response = check(await alice.joined_members(room_id), "joined members")
            expect(isinstance(response, JoinedMembersResponse), describe(response))
            ids = [member.user_id for member in response.members]
            expect(ids == [alice_id], f"joined members {ids}")

        await step("joined members", members)

        async def display_name():
            check(await alice.set_displayname("Alice via nio"), "set display name")
            response = check(await alice.get_displayname(), "get display name")
            expect(response.displayname == "Alice via nio", f"display name {response.displayname!r}")

        await step("set and get the display name", display_name)

        async def media():
            uploaded = check(await alice.upload(io.BytesIO(UPLOAD_BYTES),
                                                content_type="application/octet-stream",
                                                filename="nio.bin", filesize=len(UPLOAD_BYTES)),
                             "upload")
            expect(uploaded.content_uri.startswith("mxc://"), f"content uri {uploaded.content_uri}")
            downloaded = check(await alice.download(mxc=uploaded.content_uri), "download")
            expect(downloaded.body == UPLOAD_BYTES,
                   f"downloaded {len(downloaded.body)} bytes, uploaded {len(UPLOAD_BYTES)}")

        await step("upload and download", media)

        async def invite_and_join():
            check(await alice.room_invite(room_id, bob.user_id), "invite")
            check(await bob.join(room_id), "join as the second user")

        await step("invite the second user, who joins", invite_and_join)

        async def second_user_sees():
            response = check(await bob.sync(timeout=0, full_state=True,
                                            sync_filter={"room": {"timeline": {"limit": 50}}}),
                             "the second user's sync")
            bodies = timeline_bodies(response, room_id)
            expect(FIRST_MESSAGE in bodies, f"the second user's timeline has {bodies}")

        await step("the second user sees the message", second_user_sees)

        async def long_poll():
            check(await alice.sync(timeout=0), "sync before the long poll")
            started = time.monotonic()
            held = asyncio.ensure_future(alice.sync(timeout=LONG_POLL_MS))
            await asyncio.sleep(1)
            expect(not held.done(), "the long-poll sync came back before anything was sent")
            check(await bob.room_send(room_id, "m.room.message",
                                      {"msgtype": "m.text", "body": WAKE_MESSAGE}),
                  "send from the second user")
            response = check(await held, "long-poll sync")
            waited = time.monotonic() - started
            bodies = timeline_bodies(response, room_id)
            expect(WAKE_MESSAGE in bodies, f"the woken sync's timeline has {bodies}")
            expect(waited < LONG_POLL_MS / 1000 / 2,
                   f"the sync came back after {waited:.1f} s, not woken by the message")

        await step("long-poll sync woken by the second user's message", long_poll)

        async def context():
            response = check(await alice.room_context(room_id, first_event, limit=2),
                             "room context")
            expect(response.event is not None and response.event.event_id == first_event,
                   f"context event {getattr(response.event, 'event_id', None)}")
            after = [getattr(event, "body", None) for event in response.events_after]
            expect(after[:1] == [PAGED_MESSAGES[0]], f"events after {after}")
            expect(bool(response.start) and bool(response.end), "no start or end token")

        await step("context of an event", context)

        async def devices():
            before_ms = int(time.time() * 1000)
            await asyncio.sleep(0.01)
            listed = {device.id: device for device in check(await alice.devices(), "devices").devices}
            expect(set(listed) == {device_id, registered_device}, f"devices {sorted(listed)}")
            mine = listed[device_id]
            expect(mine.display_name == DEVICE_NAME, f"display_name {mine.display_name!r}")
            expect(listed[registered_device].display_name == REGISTER_DEVICE_NAME,
                   f"the registered device's display_name {listed[registered_device].display_name!r}")
            expect(mine.last_seen_ip in ("127.0.0.1", "::1", "::ffff:127.0.0.1"),
                   f"last_seen_ip {mine.last_seen_ip!r}")
            seen_ms = mine.last_seen_date.timestamp() * 1000 if mine.last_seen_date else 0
            expect(seen_ms >= before_ms, f"last_seen_ts {seen_ms} is older than this request")
            check(await alice.update_device(device_id, {"display_name": RENAMED_DEVICE}),
                  "rename the device")
            renamed = {d.id: d for d in check(await alice.devices(), "devices").devices}
            expect(renamed[device_id].display_name == RENAMED_DEVICE,
                   f"display_name after the rename {renamed[device_id].display_name!r}")

        await step("devices: display name, last seen, rename", devices)

        async def logout():
            check(await alice.logout(), "logout")
            check(await bob.logout(), "logout (second user)")
            remaining = check(await registrar.devices(), "devices after logout").devices
            expect([d.id for d in remaining] == [registered_device],
                   f"devices after logout {[d.id for d in remaining]}")

        stale_token = alice.access_token
        await step("logout", logout)

        async def token_refused():
            stale = AsyncClient(base_url, alice_id, config=config)
            try:
                stale.restore_login(alice_id, device_id, stale_token)
                response = await stale.whoami()
                expect(isinstance(response, ErrorResponse) and status_of(response) == 401 and
                       response.status_code == "M_UNKNOWN_TOKEN",
                       f"a logged-out token got {describe(response)}")
            finally:
                await stale.close()

        await step("the logged-out token is refused", token_refused)
    finally:
        for client in (registrar, bob, alice):
            if client is not None:
                await client.close()


async def main():
    if len(sys.argv) != 4:
        print("usage: nio_flow.py BASE_URL USER_PREFIX PASSWORD", file=sys.stderr)
        return 2
    base_url, prefix, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    try:
        await asyncio.wait_for(flow(base_url, prefix, password), OVERALL_TIMEOUT_S)
    except asyncio.TimeoutError:
        print(f'nio flow failed at step "{current_step}": the whole flow did not finish within '
              f"{OVERALL_TIMEOUT_S} s", flush=True)
        return 1
    except FlowFailure as failure:
        print(f'nio flow failed at step "{current_step}": {failure}', flush=True)
        return 1
    except Exception as error:  # a client exception is a failure of the step, named as such
        print(f'nio flow failed at step "{current_step}": {type(error).__name__}: {error}',
              flush=True)
        return 1
    print("nio flow passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
