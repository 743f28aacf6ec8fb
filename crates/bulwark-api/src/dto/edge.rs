//! Wire objects of the Edge families in `routes/edge/families`.
