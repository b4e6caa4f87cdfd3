from . import dunning_night
