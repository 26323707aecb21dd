"""Reading a request's body ahead of the app (to check it, or to fingerprint it), then
handing it on unchanged."""

from starlette.types import Message, Receive


async def read_body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app ``body``, already read, then what ``receive`` gives."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:  # past the body: the app waits for the client to disconnect
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
