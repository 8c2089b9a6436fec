// Two matrix-js-sdk clients with the Rust crypto exchange end-to-end encrypted messages through a
// (mock) homeserver: alice and bob register, set up their crypto (device and one-time keys),
// alice creates a megolm-encrypted room and invites bob, bob joins, each sees the other's device,
// alice sends a message that bob's client decrypts, bob replies and alice's client decrypts it.
//
// Usage: node e2ee_flow.mjs BASE_URL USER_PREFIX PASSWORD
//
// Each step is labelled and bounded; the whole flow is bounded at 120 s. On failure it prints
// `e2ee flow failed at step "<name>": <reason>`, then the requests that failed (method, path,
// status, body), and exits 1; on success one line per step and each decrypted body, then
// `e2ee flow passed`, and exits 0. Set E2EE_FLOW_VERBOSE=1 to keep the sdk's logging.

import * as sdk from "matrix-js-sdk";
import { AllDevicesIsolationMode } from "matrix-js-sdk/lib/crypto-api/index.js";

import { createFlow, describeError, say } from "./flow_steps.mjs";

const OVERALL_TIMEOUT_MS = 120_000;
const ALICE_MESSAGE = "hello bob (encrypted)";
const BOB_MESSAGE = "hello alice (encrypted)";
const MEGOLM = "m.megolm.v1.aes-sha2";

const [baseUrlArg, prefix, password] = process.argv.slice(2);
if (!baseUrlArg || !prefix || !password) {
    process.stderr.write("usage: node e2ee_flow.mjs BASE_URL USER_PREFIX PASSWORD\n");
    process.exit(2);
}
const baseUrl = baseUrlArg.replace(/\/+$/, "");

const clients = [];

// Every request answered 4xx/5xx or not answered at all, with its first response body and a
// count: the sdk retries some failures (key uploads, /sync) silently until a step times out, so
// these say why.
const failedRequests = new Map();
function recordFailure(label, method, path, outcome) {
    const key = `${label} ${method} ${path}`;
    const row = failedRequests.get(key) ?? { count: 0, outcome };
    row.count += 1;
    failedRequests.set(key, row);
}

// Every request body and /sync response body, kept to show the plaintexts never crossed the wire.
const wire = [];

const flow = createFlow({
    label: "e2ee",
    overallTimeoutMs: OVERALL_TIMEOUT_MS,
    verboseEnv: "E2EE_FLOW_VERBOSE",
    context: () => {
        if (failedRequests.size === 0) return "";
        const rows = [...failedRequests].map(([key, row]) => `\n  ${key} -> ${row.outcome}; x${row.count}`);
        return `\nfailed requests (client, method, path -> status, first body; count):${rows.join("")}`;
    },
    onFail: () => {
        for (const client of clients) {
            try {
                client.stopClient();
            } catch {
                // stop the others all the same
            }
        }
    },
});
const step = flow.step;

// Resolves when `check()` returns a truthy value, polling every 100 ms; the step's timeout bounds it.
async function until(check) {
    for (;;) {
        const value = await check();
        if (value) return value;
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

// A fetch for one client that records failures and what crossed the wire.
function recordingFetch(label) {
    return async (input, init) => {
        const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
        const method = init?.method ?? (input instanceof Request ? input.method : "GET");
        if (typeof init?.body === "string") wire.push(init.body);
        let response;
        try {
            response = await fetch(input, init);
        } catch (error) {
            if (error?.name !== "AbortError") {
                recordFailure(label, method, url.pathname, describeError(error));
            }
            throw error;
        }
        if (!response.ok) {
            const text = await response.clone().text();
            recordFailure(label, method, url.pathname, `${response.status} ${text.slice(0, 300)}`);
        }
        if (/\/_matrix\/client\/[^/]+\/sync$/.test(url.pathname) && response.ok) {
            wire.push(await response.clone().text());
        }
        return response;
    };
}

// Registers `name` (m.login.dummy), starts a client with the Rust crypto in memory (Node has no
// IndexedDB) and waits for its first sync. Keys go out through the crypto's own request loop.
async function startUser(name) {
    const fetchFn = recordingFetch(name);
    const registered = await step(`register ${name}`, 10_000, async () => {
        const bare = sdk.createClient({ baseUrl, fetchFn });
        const response = await bare.registerRequest({
            username: `${prefix}${name}`,
            password,
            auth: { type: "m.login.dummy" },
            initial_device_display_name: `matrix-conformance e2ee flow (${name})`,
        });
        for (const field of ["access_token", "user_id", "device_id"]) {
            if (typeof response[field] !== "string" || response[field] === "") {
                throw new Error(`register response lacks ${field}: ${JSON.stringify(response)}`);
            }
        }
        return response;
    });
    const client = sdk.createClient({
        baseUrl,
        fetchFn,
        accessToken: registered.access_token,
        userId: registered.user_id,
        deviceId: registered.device_id,
        timelineSupport: true,
    });
    clients.push(client);
    await step(`${name}: initRustCrypto (in memory)`, 20_000, async () => {
        await client.initRustCrypto({ useIndexedDB: false });
        const crypto = client.getCrypto();
        if (!crypto) throw new Error("getCrypto() is undefined after initRustCrypto");
        // Nobody verifies anybody here: keys must go to, and be accepted from, unverified devices.
        // These are the 37.x defaults, set so that a change of default cannot pass unnoticed.
        crypto.globalBlacklistUnverifiedDevices = false;
        crypto.setDeviceIsolationMode(new AllDevicesIsolationMode(false));
    });
    await step(`${name}: startClient and wait for PREPARED`, 20_000, async () => {
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
    return client;
}

// Waits until `viewer` (through /keys/query) knows `owner`'s current device with its keys.
async function seeDevice(viewer, owner) {
    const ownerId = owner.getUserId();
    const deviceId = owner.getDeviceId();
    const ownKeys = await owner.getCrypto().getOwnDeviceKeys();
    return until(async () => {
        const devices = await viewer.getCrypto().getUserDeviceInfo([ownerId], true);
        const device = devices.get(ownerId)?.get(deviceId);
        if (!device) return null;
        if (device.getIdentityKey() !== ownKeys.curve25519 || device.getFingerprint() !== ownKeys.ed25519) {
            throw new Error(`${ownerId}'s device ${deviceId} came with keys other than those it uploaded`);
        }
        return device;
    });
}

// Waits until `client` has, in `roomId`, an event from `senderId` that came as m.room.encrypted
// and decrypts to an m.room.message with `body`. A decryption failure is not final (the room key
// may arrive by to-device after the event); it is named if the step times out.
async function receiveDecrypted(client, roomId, senderId, body) {
    flow.detail = "no m.room.encrypted event from the sender yet";
    return until(async () => {
        const events = client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
        for (const event of events) {
            if (event.getSender() !== senderId || event.getWireType() !== "m.room.encrypted") continue;
            await event.getDecryptionPromise();
            if (event.isDecryptionFailure()) {
                flow.detail = `event ${event.getId()} not decrypted: ${event.decryptionFailureReason}`;
                continue;
            }
            if (event.getType() === "m.room.message" && event.getContent()?.body === body) return event;
            flow.detail = `event ${event.getId()} decrypted to ${event.getType()} ${JSON.stringify(event.getContent())}`;
        }
        return null;
    });
}

// 1. Two users, each with its own device and crypto.
const alice = await startUser("alice");
const bob = await startUser("bob");
const aliceId = alice.getUserId();
const bobId = bob.getUserId();

// 2. Each finds the other's device keys: the uploads reached the server and /keys/query
// returns them unchanged.
await step("alice sees bob's device (keys/query)", 20_000, () => seeDevice(alice, bob));
await step("bob sees alice's device (keys/query)", 20_000, () => seeDevice(bob, alice));

// 3. The encrypted room, the invite and the join.
const roomId = await step("alice creates an encrypted room and invites bob", 10_000, async () => {
    const { room_id: id } = await alice.createRoom({
        name: "conformance e2ee",
        invite: [bobId],
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: MEGOLM } }],
    });
    if (typeof id !== "string" || !id.startsWith("!")) {
        throw new Error(`createRoom returned no room_id starting with "!": ${JSON.stringify(id)}`);
    }
    return id;
});

await step("bob sees the invite via sync", 15_000, () =>
    until(() => bob.getRoom(roomId)?.getMyMembership() === "invite"),
);
await step("bob joins", 10_000, () => bob.joinRoom(roomId));
await step("alice sees bob joined and both see the room encrypted", 15_000, () =>
    until(
        async () =>
            alice.getRoom(roomId)?.getMember(bobId)?.membership === "join" &&
            bob.getRoom(roomId)?.getMyMembership() === "join" &&
            (await alice.getCrypto().isEncryptionEnabledInRoom(roomId)) &&
            (await bob.getCrypto().isEncryptionEnabledInRoom(roomId)),
    ),
);

// 4. alice -> bob, then bob -> alice; each message is sent encrypted and decrypted by the other.
async function exchange(sender, receiver, body) {
    const sent = await step(`${sender === alice ? "alice" : "bob"} sends "${body}"`, 20_000, async () => {
        const response = await sender.sendTextMessage(roomId, body);
        if (typeof response?.event_id !== "string" || !response.event_id.startsWith("$")) {
            throw new Error(`send returned no event_id starting with "$": ${JSON.stringify(response)}`);
        }
        return response;
    });
    const receiverName = receiver === alice ? "alice" : "bob";
    const event = await step(`${receiverName} receives m.room.encrypted and decrypts it`, 30_000, () =>
        receiveDecrypted(receiver, roomId, sender.getUserId(), body),
    );
    if (event.getId() !== sent.event_id) {
        flow.failStep(`${receiverName} receives m.room.encrypted and decrypts it`, `the decrypted event ${event.getId()} is not the one sent (${sent.event_id})`);
    }
    say(`${receiverName} decrypted: ${event.getContent().body}`);
}
await exchange(alice, bob, ALICE_MESSAGE);
await exchange(bob, alice, BOB_MESSAGE);

// 5. The plaintexts were never on the wire: not in any request body, nor in any /sync response.
await step("neither plaintext crossed the wire", 1_000, async () => {
    for (const body of [ALICE_MESSAGE, BOB_MESSAGE]) {
        if (wire.some((text) => text.includes(body))) {
            throw new Error(`"${body}" appears in clear in a request or /sync response`);
        }
    }
    if (!wire.some((text) => text.includes(MEGOLM))) {
        throw new Error(`no request or /sync response mentions ${MEGOLM}`);
    }
});

// 6. Stop cleanly.
await step("stopClient (both)", 5_000, async () => {
    for (const client of clients) client.stopClient();
});

flow.passed(`e2ee flow passed (${aliceId} and ${bobId})`);
