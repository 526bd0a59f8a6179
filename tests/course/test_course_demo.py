"""The demo's basic training: a cohort to try as a participant, a coordinator and a bydelsmor."""

from __future__ import annotations

import io

from bot.demo import run_demo


async def test_the_demo_has_a_cohort_for_a_participant_and_a_coordinator() -> None:
    async def demo(script: str, role: str) -> str:
        out = io.StringIO()
        assert await run_demo(role, None, io.StringIO(script), out) == 0
        return out.getvalue()

    participant = await demo("/start\n2\n/course\n", "participant")
    assert "✅ 1 of 17 modules" in participant and "next chance:" in participant
    coordinator = await demo("/start\n2\n/course\n3\n", "coordinator")
    assert "Sahra Ali — Soomaali — +47 412 34 567" in coordinator
    mother = await demo("/start\n2\n/course\n", "mother")
    assert "📝 Sign up" in mother
