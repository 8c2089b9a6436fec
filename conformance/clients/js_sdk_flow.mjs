// Drives matrix-js-sdk through login, sync, createRoom and send against a (mock) homeserver.
//
// Usage: node js_sdk_flow.mjs BASE_URL USER PASSWORD
//
// Each step is labelled and bounded; the whole flow is bounded at 60 s. On failure it prints
// `js-sdk flow failed at step "<name>": <reason>` and exits 1; on success one line per step,
// then `js-sdk flow passed`, and exits 0. Set JS_SDK_FLOW_VERBOSE=1 to keep the sdk's logging.
//
// JS_SDK_FLOW_EXISTING_USER=1: the account exists already (a homeserver behind --proxy-to, or a
// recorded session), so the admin route that creates it is not called.
// JS_SDK_FLOW_RESULTS=FILE: what the flow observed (its ids, the room's timeline, the
// messages read back) is written to FILE as JSON, for run_record_replay.sh to compare.
// JS_SDK_FLOW_TXN_ID=ID: the message is sent with this transaction id instead of a fresh one,
// so that a replayed /sync, which carries the recorded unsigned.transaction_id, pairs the remote
// echo with the local one (docs/record-replay.md).

import { writeFileSync } from "node:fs";

import * as sdk from "matrix-js-sdk";

import { createFlow, describeError } from "./flow_steps.mjs";

const OVERALL_TIMEOUT_MS = 60_000;
const MESSAGE_BODY = "hello from js-sdk";

const [baseUrlArg, user, password] = process.argv.slice(2);
if (!baseUrlArg || !user || !password) {
    process.stderr.write("usage: node js_sdk_flow.mjs BASE_URL USER PASSWORD\n");
    process.exit(2);
}
const baseUrl = baseUrlArg.replace(/\/+$/, "");

let client = null;
// The last request that failed, named in failure messages: the sdk retries some failures
// (push rules, the first /sync) silently until a step times out.
let lastFailure = null;

const flow = createFlow({
    label: "js-sdk",
    overallTimeoutMs: OVERALL_TIMEOUT_MS,
    verboseEnv: "JS_SDK_FLOW_VERBOSE",
    context: () => (lastFailure ? ` (last failed request: ${lastFailure})` : ""),
    onFail: () => client?.stopClient(),
});
const step = flow.step;

// Every /sync response body, kept so the flow can show the message arrived through sync.
const syncBodies = [];
async function recordingFetch(input, init) {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    let response;
    try {
        response = await fetch(input, init);
    } catch (error) {
        if (error?.name !== "AbortError") lastFailure = `${method} ${url.pathname} -> ${describeError(error)}`;
        throw error;
    }
    if (!response.ok) lastFailure = `${method} ${url.pathname} -> ${response.status}`;
    if (/\/_matrix\/client\/[^/]+\/sync$/.test(url.pathname) && response.ok) {
        syncBodies.push(await response.clone().text());
    }
    return response;
}

// 1. The simulation's admin route creates the account the client then logs in to.
if (!process.env.JS_SDK_FLOW_EXISTING_USER) await step("create user via /__admin/sim/users", 10_000, async () => {
    let response;
    try {
        response = await fetch(`${baseUrl}/__admin/sim/users`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ username: user, password }),
        });
    } catch (error) {
        throw new Error(`cannot reach ${baseUrl}: ${describeError(error)}`);
    }
    const text = await response.text();
    if (response.status === 404) {
        throw new Error(
            `POST /__admin/sim/users answered 404 - the mock server has no simulation (a build ` +
                `without it, or started with --no-simulation), so no account can be made: ${text.slice(0, 200)}`,
        );
    }
    if (!response.ok) {
        throw new Error(`POST /__admin/sim/users answered ${response.status}: ${text.slice(0, 300)}`);
    }
});

// 2. Password login with a bare client, then a fresh client built from the credentials.
const login = await step("loginRequest m.login.password", 10_000, async () => {
    const loginClient = sdk.createClient({ baseUrl, fetchFn: recordingFetch });
    const response = await loginClient.loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user },
        password,
        initial_device_display_name: "matrix-conformance js-sdk flow",
    });
    for (const field of ["access_token", "user_id", "device_id"]) {
        if (typeof response[field] !== "string" || response[field] === "") {
            throw new Error(`login response lacks ${field}: ${JSON.stringify(response)}`);
        }
    }
    return response;
});

client = sdk.createClient({
    baseUrl,
    fetchFn: recordingFetch,
    accessToken: login.access_token,
    userId: login.user_id,
    deviceId: login.device_id,
    timelineSupport: true,
});
const userId = login.user_id;

// 3. startClient and wait for the first sync to finish.
await step("startClient and wait for PREPARED", 20_000, async () => {
    const prepared = new Promise((resolve, reject) => {
        const onSync = (state, _previous, data) => {
            if (state === sdk.SyncState.Prepared) {
                client.off(sdk.ClientEvent.Sync, onSync);
                resolve();
            } else if (state === sdk.SyncState.Error) {
                client.off(sdk.ClientEvent.Sync, onSync);
                reject(new Error(`sync state ERROR: ${describeError(data?.error)}`));
            }
        };
        client.on(sdk.ClientEvent.Sync, onSync);
    });
    await client.startClient({ initialSyncLimit: 10 });
    await prepared;
});

// 4. createRoom, then wait for the room to come down /sync so sends get local echo handling.
const roomId = await step("createRoom", 10_000, async () => {
    const { room_id: id } = await client.createRoom({ name: "conformance" });
    if (typeof id !== "string" || !id.startsWith("!")) {
        throw new Error(`createRoom returned no room_id starting with "!": ${JSON.stringify(id)}`);
    }
    return id;
});

await step("see the new room via sync", 15_000, async () => {
    if (client.getRoom(roomId)) return;
    await new Promise((resolve) => {
        const onRoom = (room) => {
            if (room.roomId === roomId) {
                client.off(sdk.ClientEvent.Room, onRoom);
                resolve();
            }
        };
        client.on(sdk.ClientEvent.Room, onRoom);
    });
});

// 5. Send, and wait for the remote echo: our event, with a server event ID, status null (no
// longer a local echo), and its event ID present in a /sync response.
function isRemoteEcho(event) {
    return (
        event.getRoomId() === roomId &&
        event.getSender() === userId &&
        event.getType() === "m.room.message" &&
        event.getContent()?.body === MESSAGE_BODY &&
        typeof event.getId() === "string" &&
        event.getId().startsWith("$") &&
        event.status === null &&
        syncBodies.some((body) => body.includes(JSON.stringify(event.getId())))
    );
}

let echoSeen;
const remoteEcho = new Promise((resolve) => {
    echoSeen = resolve;
});
const onTimeline = (event, _room, toStartOfTimeline) => {
    if (!toStartOfTimeline && isRemoteEcho(event)) echoSeen(event);
};
const onLocalEchoUpdated = (event) => {
    if (isRemoteEcho(event)) echoSeen(event);
};
client.on(sdk.RoomEvent.Timeline, onTimeline);
client.on(sdk.RoomEvent.LocalEchoUpdated, onLocalEchoUpdated);

const sent = await step("sendTextMessage", 10_000, async () => {
    const response = await client.sendTextMessage(roomId, MESSAGE_BODY, process.env.JS_SDK_FLOW_TXN_ID);
    if (typeof response?.event_id !== "string" || !response.event_id.startsWith("$")) {
        throw new Error(`send returned no event_id starting with "$": ${JSON.stringify(response)}`);
    }
    return response;
});

await step("see the remote echo in the timeline via sync", 15_000, async () => {
    // The echo may already be in the timeline by the time the send resolved.
    const already = client.getRoom(roomId)?.getLiveTimeline().getEvents().find(isRemoteEcho);
    const event = already ?? (await remoteEcho);
    if (event.getId() !== sent.event_id) {
        throw new Error(`the echoed event ID ${event.getId()} is not the one send returned (${sent.event_id})`);
    }
});

// 6. Read the room's messages back with /messages, newest first.
const messages = await step("read messages with /messages", 10_000, async () => {
    const page = await client.createMessagesRequest(roomId, null, 10, sdk.Direction.Backward);
    const bodies = page.chunk.filter((event) => event.type === "m.room.message").map((event) => event.content?.body);
    if (!bodies.includes(MESSAGE_BODY)) {
        throw new Error(`/messages did not return the message sent: ${JSON.stringify(page.chunk).slice(0, 300)}`);
    }
    return page.chunk.map((event) => [event.type, event.sender, event.event_id, event.content?.body ?? null]);
});

if (process.env.JS_SDK_FLOW_RESULTS) {
    const timeline = client
        .getRoom(roomId)
        .getLiveTimeline()
        .getEvents()
        .map((event) => [event.getType(), event.getSender(), event.getId(), event.getContent()?.body ?? null]);
    const results = { userId, deviceId: login.device_id, roomId, sentEventId: sent.event_id, timeline, messages };
    writeFileSync(process.env.JS_SDK_FLOW_RESULTS, `${JSON.stringify(results, null, 2)}\n`);
}

// 7. Stop cleanly.
await step("stopClient", 5_000, async () => {
    client.off(sdk.RoomEvent.Timeline, onTimeline);
    client.off(sdk.RoomEvent.LocalEchoUpdated, onLocalEchoUpdated);
    client.stopClient();
});

flow.passed("js-sdk flow passed");
