"""Django's ASGI handler with a bound on how many requests compute their response at once.

Under ASGI Django runs every request's synchronous code in a thread of its own. With many
requests in flight, those threads take turns at Python's global lock every few milliseconds:
each request gets slower and the process serves fewer of them (a 50-post forum page: ~20 ms
alone, ~30 ms each with 16 at once). The bound applies only while the view computes the
response; sending it (a file download to a slow client, say) happens outside it, so a slow
client never holds a place.
"""

import asyncio
import weakref

from django.core.handlers.asgi import ASGIHandler


class BoundedASGIHandler(ASGIHandler):
    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        # One semaphore per event loop (tests run the application on several loops).
        self._semaphores: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        semaphore = self._semaphores.get(loop)
        if semaphore is None:
            semaphore = self._semaphores[loop] = asyncio.Semaphore(self.limit)
        return semaphore

    async def get_response_async(self, request):
        if not self.limit:
            return await super().get_response_async(request)
        async with self._semaphore():
            return await super().get_response_async(request)
