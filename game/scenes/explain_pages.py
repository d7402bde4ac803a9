"""The explanation pages' text, in FruitNet's own words.

Each page is (title, [blocks]); a block starting with "=" is a formula line.
"""

PAGES = [
    ("1 · The forward pass", [
        "A fruit enters as two numbers: its sweetness x₁ and its redness x₂, each between 0 and 1.",
        "Every neuron adds up what arrives, each input multiplied by the weight on its edge, "
        "plus its own bias b. That sum is called z. Then it squashes z into the range 0 to 1:",
        "= z = w₁·x₁ + w₂·x₂ + b        a = σ(z) = 1 / (1 + e^(−z))",
        "Hidden neurons pass their a on to the next layer. The last neuron's a is ŷ: the network's "
        "guess that this fruit is a strawberry. ŷ = 0.9 means \"very likely a strawberry\", "
        "ŷ = 0.1 means \"probably a lemon\".",
        "On screen, pale pulses carry the fruit forward and each neuron fills with its a.",
    ]),
    ("2 · The loss: how wrong was the guess?", [
        "The label y is the truth: 1 for a strawberry, 0 for a lemon. The loss measures the miss:",
        "= L = ½ (ŷ − y)²",
        "A perfect guess gives L = 0; the worst possible guess gives L = ½. Squaring makes every "
        "miss positive and punishes big misses more than small ones.",
        "The ½ is there for tidiness: when you take the slope of L, the 2 from the square cancels it, "
        "so the slope with respect to ŷ is simply (ŷ − y), the error itself.",
        "On screen, the output neuron glows red: the brighter the glow, the bigger L.",
    ]),
    ("3 · Blame for an output weight", [
        "To learn, each weight asks: if I were a little larger, would L go up or down, and how "
        "fast? That rate is the gradient ∂L/∂w. The chain rule builds it from three factors that "
        "the step log prints with their real numbers:",
        "= ∂L/∂w = (ŷ − y) · σ′(z) · h",
        "(ŷ − y) is the error. σ′(z) = σ(z)(1 − σ(z)) says how much the output neuron can still "
        "move; it is small when the neuron is already sure. h is the activation arriving along "
        "that edge: an edge that carried nothing gets no blame.",
        "Then every weight takes a small step downhill, η being the learning rate:",
        "= w ← w − η · ∂L/∂w",
        "The first two factors together are the output neuron's δ = (ŷ − y)·σ′(z).",
    ]),
    ("4 · Blame flowing back to hidden weights", [
        "A hidden neuron never sees the label. Its share of the blame arrives from the layer above: "
        "each neuron k above sends back its δₖ, weighted by the edge wₖⱼ that connects them.",
        "= δⱼ = ( Σₖ δₖ · wₖⱼ ) · σ′(zⱼ)",
        "= ∂L/∂wⱼᵢ = δⱼ · xᵢ",
        "That is backpropagation: the error starts at the output and travels backward, edge by "
        "edge, being multiplied by each weight and each neuron's σ′ on the way. The red pulses on "
        "screen are exactly this, each as bright as its edge's |∂L/∂w|.",
        "All gradients are computed with the old weights first; only then do all weights move.",
    ]),
    ("5 · Brains and prediction errors", [
        "Learning from the gap between what you expected and what happened is an old idea in "
        "psychology. In the Rescorla–Wagner model (1972), an animal's expectation V of a reward "
        "after a signal changes in proportion to its surprise:",
        "= ΔV = α · (λ − V)",
        "λ is what actually came, V what was predicted, α a learning rate. Compare w ← w − η(ŷ − y)…: "
        "the same shape, a step proportional to a prediction error.",
        "Temporal-difference (TD) learning extends this through time: δ = r + γ·V(next) − V(now). "
        "In the 1990s, recordings of dopamine neurons in monkeys showed firing that tracks such a "
        "reward prediction error: a burst for a better-than-expected reward, a dip for a worse one.",
        "Brains are not known to send exact gradients backward along every connection the way "
        "backpropagation does; how real neurons share out blame is still being researched. The "
        "common thread is the error signal: learn most where you were most surprised.",
    ]),
]
