"""The bounded map every cache of the service is (server/lru.py)."""

import threading

from eurasia_kg.server.lru import LRU


def test_it_keeps_at_most_its_entries_and_forgets_the_least_recently_used():
    cache = LRU(3)
    for n in range(3):
        cache.put(n, str(n))
    assert cache.get(0) == "0"  # 0 is now the most recently used
    cache.put(3, "3")
    assert len(cache) == 3 and 1 not in cache
    assert [cache.get(n) for n in (0, 2, 3)] == ["0", "2", "3"]


def test_it_keeps_at_most_its_bytes():
    cache = LRU(100, max_bytes=10)
    for n in range(5):
        cache.put(n, b"abcd")
    assert len(cache) == 2 and cache.bytes == 8
    cache.put("big", b"x" * 11)  # larger than the whole budget: not kept, nothing forgotten
    assert "big" not in cache and len(cache) == 2
    cache.put(4, b"abcdefgh")  # replacing a value counts its new size only
    assert cache.bytes == 8 and list(cache.keys()) == [4]


def test_a_flood_of_keys_from_many_threads_stays_within_the_bound():
    cache = LRU(50, max_bytes=400)

    def flood(offset):
        for n in range(2000):
            cache.put((offset, n), b"12345678")
            cache.get((offset, n - 1))

    threads = [threading.Thread(target=flood, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) <= 50 and cache.bytes <= 400
    assert cache.bytes == 8 * len(cache)


def test_get_or_make_makes_a_missing_value_once():
    cache, made = LRU(10), []

    def make():
        made.append(1)
        return "value"

    assert cache.get_or_make("k", make) == "value" == cache.get_or_make("k", make)
    assert made == [1]
