"""The explanation pages' text, in FruitNet's own words.

Each page is (title, [blocks]); a block starting with "=" is a formula line.
The numbers quoted here are what the core computes (tests/test_pages.py checks
them against a real step), and every page must fit its card above the buttons.
"""

PAGES = [
    ("1 · The forward pass", [
        "A fruit enters as two numbers: its sweetness x₁ and its redness x₂, each between 0 and 1.",
        "Every neuron adds up what arrives, each input multiplied by the weight on its edge, "
        "plus its own bias b. That sum is called z. Its activation function f then turns z "
        "into the neuron's output a:",
        "= z = w₁·x₁ + w₂·x₂ + b        a = f(z)",
        "The output neuron always uses σ, which squashes z into the range 0 to 1:",
        "= ŷ = σ(z) = 1 / (1 + e^(−z))",
        "Hidden neurons use the activation the level allows: σ again (0 to 1), tanh (−1 to 1), "
        "or relu(z) = max(0, z), which passes a positive z on unchanged and turns a negative one "
        "into 0.",
        "Hidden neurons pass their a on to the next layer, where it is an input like x₁ and x₂. "
        "The output ŷ is the network's guess that this fruit is a strawberry: "
        "ŷ = 0.9 means \"very likely a strawberry\", ŷ = 0.1 means \"probably a lemon\".",
        "On screen, pale pulses carry the fruit forward and each neuron fills with its a.",
    ]),
    ("2 · The loss: how wrong was the guess?", [
        "The label y is the truth: 1 for a strawberry, 0 for a lemon. The loss measures the miss:",
        "= L = ½ (ŷ − y)²",
        "A perfect guess gives L = 0; the worst possible guess gives L = ½. Squaring makes every "
        "miss positive and punishes big misses more than small ones.",
        "The ½ is there for tidiness: when you take the slope of L, the 2 from the square cancels it, "
        "so the slope with respect to ŷ is simply (ŷ − y), the error itself.",
        "On screen, the output neuron glows red (yellow in the colour-blind palette): the brighter "
        "the glow, the bigger L.",
    ]),
    ("3 · Blame for an output weight", [
        "To learn, each weight asks: if I were a little larger, would L go up or down, and how "
        "fast? That rate is the gradient ∂L/∂w. The chain rule builds it from three factors that "
        "the step log prints with their real numbers:",
        "= ∂L/∂w = (ŷ − y) · σ′(z) · h",
        "(ŷ − y) is the error. h is the activation arriving along that edge: an edge that "
        "carried nothing gets no blame. σ′(z) = σ(z)(1 − σ(z)) says how much the output neuron "
        "can still move; it is small whenever the neuron is sure, even when it is sure and wrong.",
        "The first two factors together are the output neuron's δ = (ŷ − y)·σ′(z). For a "
        "strawberry (y = 1), |δ| = |ŷ − y|·ŷ(1 − ŷ) is largest at ŷ = 1/3, where it is 0.148; "
        "at ŷ = 0.01, a confident wrong guess, it is only 0.0098. The most wrong neuron is not "
        "the one that learns fastest.",
        "Then every weight takes a small step downhill, η being the learning rate:",
        "= w ← w − η · ∂L/∂w",
    ]),
    ("4 · Blame flowing back to hidden weights", [
        "A hidden neuron never sees the label. Its share of the blame arrives from the layer above: "
        "each neuron k above sends back δₖ·wₖⱼ, its δ times the weight of the edge between them. "
        "Neuron j adds these up and multiplies by f′(zⱼ), the slope of its own activation "
        "(σ′, tanh′ = 1 − tanh², or relu′: 1 where z > 0, else 0):",
        "= δⱼ = ( Σₖ δₖ · wₖⱼ ) · f′(zⱼ)        ∂L/∂wⱼᵢ = δⱼ · aᵢ",
        "A weight's gradient is the δ of the neuron it feeds times aᵢ, the activation arriving "
        "along it: the input xᵢ for the first layer, a hidden neuron's a after that. That is "
        "backpropagation: the error starts at the output and travels backward, multiplied by "
        "each weight and each neuron's f′ on the way.",
        "On screen, red pulses (yellow in the colour-blind palette) run backward along the edges. "
        "What travels back from k to j is "
        "δₖ·wₖⱼ, the blame passed down; the pulses' brightness and number show the edge's own "
        "|∂L/∂w| on a log scale, from faint (about 0.001) to bright (about 0.1), as the small "
        "legend says. An edge whose gradient is exactly 0 sends no pulse.",
        "All gradients are computed with the old weights first; only then do all weights move.",
    ]),
    ("5 · Prediction errors: Rescorla–Wagner", [
        "In psychology, the Rescorla–Wagner model (1972) describes learning from the gap between "
        "what was expected and what happened. Each cue (a tone, a light) has a strength V for "
        "predicting a stimulus that follows it: food, or a mild shock, not only a reward. On each "
        "trial, every cue x that is present changes by",
        "= ΔVₓ = αₓ · β · (λ − ΣV)",
        "λ is what came; ΣV, summed over all the cues present, is what was predicted; αₓ and β "
        "are learning rates for the cue and the stimulus. The sum explains blocking: once a light "
        "fully predicts the food, a tone added beside it learns nothing, as ΣV already equals λ.",
        "This is Widrow and Hoff's delta rule (1960), with ΣV in the part of ŷ. FruitNet's rule, "
        "Δw = −η · (ŷ − y) · σ′(z) · h, has two more factors, σ′ and the input h: the two are "
        "identical only for a linear unit (no σ) whose h is 1 for a cue present, 0 for one absent.",
        "So \"learn most where you were most surprised\" holds for Rescorla–Wagner, not quite "
        "for FruitNet: with σ and L = ½(ŷ − y)², a sure and wrong output (ŷ = 0.01, y = 1) has "
        "|δ| = 0.0098, far less than the 0.148 at ŷ = 1/3 (page 3).",
    ]),
    ("6 · Dopamine, and what brains cannot do", [
        "Temporal-difference (TD) learning carries the prediction error through time. Its error "
        "δ = r + γ·V(next) − V(now) is what arrived plus what is now expected, minus what was "
        "expected a moment ago.",
        "Schultz, Dayan & Montague (1997), \"A neural substrate of prediction and reward\" "
        "(Science), compared recordings of dopamine neurons in monkeys with TD learning: the "
        "neurons fire like this δ. Early in training they burst when the juice comes; once a cue "
        "reliably predicts it, the burst moves to the cue and the expected juice causes none. If "
        "the juice is then left out, their activity dips at the moment it was due.",
        "Backpropagation itself is harder to find in a brain. It sends blame down each edge "
        "multiplied by that edge's weight, but a real synapse passes signals one way and cannot "
        "send its weight backward: the weight-transport problem.",
        "Proposed answers include feedback alignment (Lillicrap et al. 2016, Nature "
        "Communications), where fixed random backward weights still teach the forward ones; "
        "predictive coding, where each layer predicts the layer below and learns from its own "
        "local errors; and three-factor learning rules, where a synapse changes when its two "
        "neurons' activity meets a third, widely broadcast signal such as dopamine.",
    ]),
]
