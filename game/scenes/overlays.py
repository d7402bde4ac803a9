"""Cards over the play screen: the level's intro, and the win and lose results."""

from __future__ import annotations

import math

import pygame
import pygame_gui

from game.core.attempt import HARVEST_FAILED, OUT_OF_STEPS, WON
from game.scenes.card import CardScene
from game.view import theme


def rules_sentence(level) -> str:
    """The level's goal, budgets and pars, in two sentences."""
    target = f"{level.target_accuracy:.0%} of the orchard"
    goal = {"hold": f"sort {target} correctly and hold it there for {level.hold_steps} steps "
                    "in a row",
            "harvest": f"press Harvest once you judge that the network sorts {target} "
                       "correctly: you harvest only once",
            "first": f"sort {target} correctly"}[level.win]
    return (f"Goal: {goal}, within {level.step_budget:,} steps, placing at most "
            f"{level.point_budget} fruit. Stars: one for the win, one for {level.par_steps:,} "
            f"steps or fewer, one for {level.par_fruit} fruit or fewer.")


def star_points(centre: tuple[float, float], outer: float = 28, inner: float = 12) -> list:
    """The ten corners of a five-pointed star, first point up."""
    return [(centre[0] + r * math.cos(a), centre[1] + r * math.sin(a))
            for k in range(10)
            for r, a in [((outer if k % 2 == 0 else inner), -math.pi / 2 + k * math.pi / 5)]]


class LevelIntro(CardScene):
    """Before play: the level's title, story, lesson and goal. Enter or Start begins."""

    def __init__(self, play) -> None:
        super().__init__(pygame.Rect(270, 80, 740, 560))
        self.play = play
        self.start_button = self.button(280, 500, 180, 42, "Start (Enter)", primary=True)
        self.content_bottom = 0  # where the text ended when last drawn (a test keeps it above)

    def on_event(self, event: pygame.event.Event) -> None:
        started = (event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.start_button) \
            or (event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_SPACE,
                                                                pygame.K_ESCAPE))
        if started:
            self.stack.pop()

    def draw_content(self, surface: pygame.Surface) -> None:
        level = self.play.level
        title = theme.text(level.title, 32, theme.TEXT, "bold")
        surface.blit(title, title.get_rect(midtop=(self.card.centerx, self.card.y + 24)))
        y = self.paragraph(surface, level.story, self.card.y + 84, 17, theme.TEXT) + 14
        surface.blit(theme.text("What you will see", 15, theme.ACCENT, "bold"), (self.card.x + 30, y))
        y = self.paragraph(surface, level.lesson, y + 24, 17, theme.TEXT_DIM) + 14
        self.content_bottom = self.paragraph(surface, rules_sentence(level), y, 16, theme.HIGHLIGHT,
                                             "bold", spacing=22)


class ResultOverlay(CardScene):
    """Win: the stars of both challenges and the lesson. Lose: the next hint. Both offer Retry."""

    def __init__(self, play) -> None:
        super().__init__(pygame.Rect(320, 110, 640, 500))
        self.play = play
        self.content_bottom = 0  # where the text ended when last drawn (a test keeps it above)
        self.retry_button = self.button(30, 440, 170, 40, "Retry" if play.won else "Retry (Enter)",
                                        primary=not play.won)
        self.look_button = self.button(230, 440, 180, 40, "Look at the field",
                                       tool_tip_text="Step or Reset brings this card back")
        self.next_button = None
        following = play.next_level() if play.won else None
        if play.won and (following is not None or play.pack is not None):
            last = following is None or play.pack is None or following[1].id != play.pack.id
            self.next_button = self.button(440, 440, 170, 40, "Finish (Enter)" if last else
                                           "Next level (Enter)", primary=True)

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.retry_button:
                self.play.retry()
            elif event.ui_element is self.look_button:
                self.stack.pop()
            elif event.ui_element is self.next_button:
                self.play.go_to_next_level()
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            # Enter is the highlighted, forward action: on, after a win; again, after a loss.
            if self.next_button is not None:
                self.play.go_to_next_level()
            elif not self.play.won:
                self.play.retry()
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.stack.pop()  # look at the field; any training key brings the card back
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_r and not self.play.won:
            self.play.retry()  # R retries a lost attempt; a won one is retried only by its button

    def edge_colour(self) -> tuple[int, int, int]:
        return theme.GOOD if self.play.won else theme.ERROR_RED

    def draw_content(self, surface: pygame.Surface) -> None:
        outcome = self.play.attempt.outcome()
        title = theme.text(_result_title(self.play.attempt.state), 32, theme.TEXT, "bold")
        surface.blit(title, title.get_rect(midtop=(self.card.centerx, self.card.y + 22)))
        y = self.card.y + 80
        if self.play.won:
            self._draw_stars(surface, outcome, y)
            y += 92
            level = self.play.level
            held = f", held for {level.hold_steps} steps in a row" if level.win == "hold" else ""
            summary = f"Accuracy {outcome.accuracy:.0%}{held}."
            body = self.play.level.lesson
        else:
            summary = (f"Accuracy {outcome.accuracy:.0%}; the target was "
                       f"{self.play.level.target_accuracy:.0%}.")
            hints = self.play.level.hints
            body = "Hint: " + hints[min(self.play.failures, len(hints)) - 1]
        if self.play.attempt.state == HARVEST_FAILED:
            summary = (f"Harvested at {outcome.accuracy:.0%}; the target was "
                       f"{self.play.level.target_accuracy:.0%}.")
        image = theme.text(summary, 16, theme.TEXT, "bold")
        surface.blit(image, image.get_rect(midtop=(self.card.centerx, y)))
        if outcome.quiz_asked:
            y += 24
            quiz = theme.text(f"Predictions: {outcome.quiz_right} of {outcome.quiz_asked} right",
                              16, theme.HIGHLIGHT, "bold")
            surface.blit(quiz, quiz.get_rect(midtop=(self.card.centerx, y)))
        self.content_bottom = self.paragraph(surface, body, y + 38, 16, theme.TEXT_DIM, spacing=22)

    def _draw_stars(self, surface: pygame.Surface, outcome, y: int) -> None:
        """Three stars, each over what earned it: the win, the steps par, the fruit par."""
        level = self.play.level
        earned = (True, outcome.steps_star, outcome.fruit_star)
        captions = ("Sorted", f"{outcome.steps_used:,} steps, par {level.par_steps:,}",
                    f"{outcome.points_used} fruit, par {level.par_fruit}")
        for k, (star, caption) in enumerate(zip(earned, captions)):
            x = self.card.centerx + (k - 1) * 180
            pygame.draw.polygon(surface, theme.HIGHLIGHT if star else (70, 76, 96),
                                star_points((x, y + 28)))
            image = theme.text(caption, 14, theme.TEXT if star else theme.TEXT_DIM)
            surface.blit(image, image.get_rect(midtop=(x, y + 62)))


def _result_title(state: str) -> str:
    return {WON: "Orchard sorted!", HARVEST_FAILED: "Harvested too early",
            OUT_OF_STEPS: "Out of steps"}.get(state, "")
