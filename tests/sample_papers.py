"""Small hand-written papers shared by the extraction engine and cache tests."""
from kgraph.model import Paper

SAMPLE_PAPERS = [
    Paper("p1", "FooNet: A Fast Network for Semantic Segmentation",
          "We propose FooNet, trained with PyTorch on 8 NVIDIA A100 GPUs. It reaches 80.1% mIoU on Cityscapes."),
    Paper("p2", "Reading Comprehension at Scale",
          "We fine-tune BERT on SQuAD and report F1 and exact match against RoBERTa."),
    Paper("p3", "Vision Transformers Need Registers",
          "We train ViT-B on ImageNet and evaluate linear probing accuracy on ADE20K."),
    Paper("p4", "A Benchmark for Tool Use",
          "We introduce ToolBench and evaluate GPT-4 and LLaMA-2 with chain-of-thought prompting."),
    Paper("p5", "Speech Recognition without Labels",
          "We pre-train wav2vec 2.0 on LibriSpeech and report WER on the test-other split."),
]

# Descriptive method names that no vocabulary lists: only the statistical NERs find
# "Decoupled Distillation" and "progressive token pruning" (a --fast run finds less).
DESCRIPTIVE_PAPER = Paper(
    "p6", "Decoupled Distillation for Fast Segmentation",
    "We introduce decoupled distillation and progressive token pruning, and evaluate on Cityscapes "
    "with mean intersection over union.")
