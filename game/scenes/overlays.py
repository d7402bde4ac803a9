"""Overlays pushed on top of the play screen: the level's intro card, the win and lose cards."""

from __future__ import annotations

import pygame
import pygame_gui

from game.scenes.base import Scene
from game.view import theme


def wrap(text: str, font: pygame.font.Font, width: int) -> list[str]:
    """Greedy word wrap of `text` to `width` pixels."""
    lines: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        words, line = paragraph.split(), ""
        for word in words:
            trial = f"{line} {word}".strip()
            if font.size(trial)[0] <= width:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
        lines.append("")
    return lines[:-1]


def rules_sentence(level) -> str:
    """The level's goal and budgets in one sentence."""
    return (f"Goal: classify {level.target_accuracy:.0%} of the orchard correctly within "
            f"{level.step_budget:,} steps, placing at most {level.point_budget} fruit.")


class LevelIntro(Scene):
    """Before play: the level's title, story, lesson and goal. Enter or Start begins."""

    opaque = False

    def __init__(self, play) -> None:
        super().__init__()
        self.play = play
        self.card = pygame.Rect(290, 130, 700, 440)
        self.manager = theme.make_gui_manager()
        self.start_button = pygame_gui.elements.UIButton(
            pygame.Rect(self.card.centerx - 90, self.card.bottom - 62, 180, 42), "Start (Enter)",
            self.manager, object_id="#primary")

    def handle_event(self, event: pygame.event.Event) -> None:
        self.manager.process_events(event)
        started = (event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.start_button) \
            or (event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_SPACE,
                                                                pygame.K_ESCAPE))
        if started:
            self.stack.pop()

    def update(self, dt: float) -> None:
        self.manager.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        level = self.play.level
        theme.draw_card(surface, self.card, theme.ACCENT)
        title = theme.text(level.title, 32, theme.TEXT, "bold")
        surface.blit(title, title.get_rect(midtop=(self.card.centerx, self.card.y + 24)))
        y = self.card.y + 84
        width = self.card.w - 60
        for heading, body, colour in (("", level.story, theme.TEXT),
                                      ("What you will see", level.lesson, theme.TEXT_DIM)):
            if heading:
                surface.blit(theme.text(heading, 15, theme.ACCENT, "bold"), (self.card.x + 30, y))
                y += 24
            for line in wrap(body, theme.font(17), width):
                surface.blit(theme.text(line, 17, colour), (self.card.x + 30, y))
                y += 24
            y += 14
        for line in wrap(rules_sentence(level), theme.font(16, "bold"), width):
            surface.blit(theme.text(line, 16, theme.HIGHLIGHT, "bold"), (self.card.x + 30, y))
            y += 22
        self.manager.draw_ui(surface)


class ResultOverlay(Scene):
    """Win: stars, score and the lesson. Lose: the next hint. Both offer Retry."""

    opaque = False

    def __init__(self, play) -> None:
        super().__init__()
        self.play = play
        self.card = pygame.Rect(340, 190, 600, 330)
        self.manager = theme.make_gui_manager()
        button = pygame_gui.elements.UIButton
        y = self.card.bottom - 60
        self.retry_button = button(pygame.Rect(self.card.x + 30, y, 160, 40), "Retry", self.manager)
        self.look_button = button(pygame.Rect(self.card.x + 210, y, 180, 40), "Look at the field",
                                  self.manager, tool_tip_text="Step or Reset brings this card back")
        self.next_button = None
        if play.won and play.next_level() is not None:
            self.next_button = button(pygame.Rect(self.card.right - 190, y, 160, 40), "Next level",
                                      self.manager, object_id="#primary")

    def handle_event(self, event: pygame.event.Event) -> None:
        self.manager.process_events(event)
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.retry_button:
                self.play.retry()
            elif event.ui_element is self.look_button:
                self.stack.pop()
            elif event.ui_element is self.next_button:
                from game.scenes.play import PlayScene
                scene = PlayScene(self.play.next_level(), self.play.pack)
                self.stack.replace(scene)
                self.stack.push(LevelIntro(scene))
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_r):
            self.play.retry()

    def update(self, dt: float) -> None:
        self.manager.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        outcome = self.play.attempt.outcome()
        won = self.play.won
        theme.draw_card(surface, self.card, theme.GOOD if won else theme.ERROR_RED)
        title = "Orchard sorted!" if won else "Out of steps"
        image = theme.text(title, 32, theme.TEXT, "bold")
        surface.blit(image, image.get_rect(midtop=(self.card.centerx, self.card.y + 22)))
        y = self.card.y + 80
        if won:
            self._stars(surface, outcome.stars, y)
            y += 70
            summary = (f"Accuracy {outcome.accuracy:.0%} after {outcome.steps_used} steps "
                       f"with {outcome.points_used} fruit.  Score {outcome.score}")
            body = self.play.level.lesson
        else:
            summary = (f"Accuracy {outcome.accuracy:.0%}; the target was "
                       f"{self.play.level.target_accuracy:.0%}.")
            hints = self.play.level.hints
            body = "Hint: " + hints[min(self.play.failures, len(hints)) - 1]
        image = theme.text(summary, 16, theme.TEXT, "bold")
        surface.blit(image, image.get_rect(midtop=(self.card.centerx, y)))
        y += 38
        font = theme.font(16)
        for line in wrap(body, font, self.card.w - 60):
            surface.blit(font.render(line, True, theme.TEXT_DIM), (self.card.x + 30, y))
            y += 22
        self.manager.draw_ui(surface)

    def _stars(self, surface: pygame.Surface, stars: int, y: int) -> None:
        for k in range(3):
            centre = (self.card.centerx + (k - 1) * 70, y + 28)
            points = []
            for p in range(10):
                radius = 28 if p % 2 == 0 else 12
                angle = -1.5708 + p * 0.62832
                points.append((centre[0] + radius * pygame.math.Vector2(1, 0).rotate_rad(angle).x,
                               centre[1] + radius * pygame.math.Vector2(1, 0).rotate_rad(angle).y))
            colour = theme.HIGHLIGHT if k < stars else (70, 76, 96)
            pygame.draw.polygon(surface, colour, points)
